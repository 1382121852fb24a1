"""Branding changes land in the audit log: who, from where, the fields before and after."""

from httpx import AsyncClient
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.actors import Actor
from tests.audit_trail import TEST_CLIENT_ADDRESS, only, recorded
from tests.branding.test_branding import BRANDING, KETTLE, _put
from tests.branding.test_images import _image, _upload


async def test_replacing_the_branding_records_the_fields_that_changed(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    assert (await _put(client, admin, KETTLE)).status_code == 200

    entry = await only(engine, "branding.replaced")
    assert (entry["actor_id"], entry["address"]) == (admin.user.id, TEST_CLIENT_ADDRESS)
    assert (entry["entity"], entry["entity_id"]) == ("branding", "shop")
    assert entry["before"]["shop_name"] == "OMS"
    assert entry["after"]["shop_name"] == "Kettle & Co"
    assert (entry["before"]["version"], entry["after"]["version"]) == (0, 1)
    assert "logo_url" not in entry["after"]  # unchanged fields are left out


async def test_a_refused_replacement_records_nothing(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    stale = await client.put(BRANDING, json=KETTLE, headers={**admin.headers, "If-Match": '"9"'})

    assert stale.status_code == 412
    assert await recorded(engine, "branding.replaced") == []


async def test_setting_and_removing_the_logo_are_recorded(
    client: AsyncClient, admin: Actor, engine: AsyncEngine
) -> None:
    assert (await _upload(client, admin, "logo", _image("PNG"), "image/png")).status_code == 200
    refused = await _upload(client, admin, "logo", b"not an image", "image/png")
    tag = (await client.get(BRANDING)).headers["ETag"]
    removed = await client.delete(f"{BRANDING}/logo", headers={**admin.headers, "If-Match": tag})

    assert (refused.status_code, removed.status_code) == (400, 200)
    set_entry = await only(engine, "branding.logo_set")  # once: the refused upload is not
    assert set_entry["before"]["logo_url"] is None
    assert set_entry["after"]["logo_url"].startswith("/api/v1/branding/assets/")
    removed_entry = await only(engine, "branding.logo_removed")
    assert removed_entry["before"]["logo_url"] == set_entry["after"]["logo_url"]
    assert removed_entry["after"]["logo_url"] is None
