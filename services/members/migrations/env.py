from common.migrations_env import run
from services.members.adapters.orm import metadata

run(metadata)
