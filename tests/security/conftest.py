from .grid import GRID, summary


def pytest_terminal_summary(terminalreporter, config):
    stats = config.stash.get(GRID, None)
    if stats:
        terminalreporter.write_line(summary(stats))
