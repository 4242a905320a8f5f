"""The Qt user interface: reads through models, changes data through named services."""
