/** Launcher for the Jupyter kernel that notebooks run on. */
package memlab.kernel;
