from datetime import UTC, datetime

from contracts.action_items import ActionItemData
from sb_writeback.action_items import raise_once, resolve_once

AT = datetime(2026, 11, 26, tzinfo=UTC)


def item(message="Choose the bank account") -> ActionItemData:
    return ActionItemData(item_id="svc:account_setup_missing:deposit_bank", kind="account_setup_missing",
                          message=message, source="svc", at=AT)


async def test_an_item_is_raised_once_resolved_once_and_raised_anew_with_a_new_event_id(pool):
    async with pool.acquire() as connection:
        first = await raise_once(connection, "t1", item())
        assert await raise_once(connection, "t1", item()) == []
        resolved = await resolve_once(connection, "t1", item().item_id, AT)
        assert await resolve_once(connection, "t1", item().item_id, AT) == []
        again = await raise_once(connection, "t1", item("Choose it again"))
    assert [e.event_type for e in first + resolved + again] == ["ActionItemRaised", "ActionItemResolved",
                                                                "ActionItemRaised"]
    assert resolved[0].data.message == "Choose the bank account"
    assert len({e.event_id for e in first + resolved + again}) == 3
