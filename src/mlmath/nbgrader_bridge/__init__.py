"""nbgrader, unchanged for the instructor: its configuration and the trusted autograde step."""
