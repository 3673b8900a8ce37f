"""The GraphQL gateway: the clients' one interface to the nameko services.

Pure asyncio: nothing here may import nameko or eventlet (they monkey-patch
the process). Services are reached over AMQP by `gateway.rpc`.
"""
