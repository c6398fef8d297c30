from klynge.cli.main import run

run()
