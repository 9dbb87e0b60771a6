"""exhibitors."""
