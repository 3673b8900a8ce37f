"""nameko adapters for the shared infrastructure. Only `service.py` files and
the runner import this package; domain and service-layer code never do."""
