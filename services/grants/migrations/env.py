from common.migrations_env import run
from services.grants.adapters.orm import metadata

run(metadata)
