// The runner's parts, used across the tests.
global using NotebookRunner.Export;
global using NotebookRunner.Kernel;
global using NotebookRunner.Notebooks;
global using NotebookRunner.Site;
