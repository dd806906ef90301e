"""Write operations of the service layer: load, authorise, decide, save, project."""
