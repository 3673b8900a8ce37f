from common.migrations_env import run
from services.notifications.adapters.orm import metadata

run(metadata)
