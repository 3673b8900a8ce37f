from common.migrations_env import run
from services.partnerships.adapters.orm import metadata

run(metadata)
