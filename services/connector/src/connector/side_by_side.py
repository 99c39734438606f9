"""Run coroutines side by side; the first failure cancels the others and is raised as itself."""
from __future__ import annotations

import asyncio


async def together(*coroutines) -> list:
    """Results in order. Unlike ``asyncio.gather`` nothing is left running after a failure, and
    unlike a bare ``TaskGroup`` callers can catch the error's own type (not an ExceptionGroup)."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(coroutine) for coroutine in coroutines]
    except BaseExceptionGroup as failures:
        raise failures.exceptions[0]  # noqa: B904 - the group only wraps it
    return [task.result() for task in tasks]
