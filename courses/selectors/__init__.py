"""Read-side questions about the catalog, its pages and the module library."""
