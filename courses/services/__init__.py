"""Write-side operations of the catalog: each module owns one concern."""
