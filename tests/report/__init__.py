"""The class report: data from the gradebook and the records, the page in a browser, escaping."""
