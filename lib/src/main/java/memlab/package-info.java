/** memlab: models, tasks, training loops, diagnostics and figures for the memlab notebooks. */
package memlab;
