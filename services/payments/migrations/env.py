from common.migrations_env import run
from services.payments.adapters.orm import metadata

run(metadata)
