"""HTTP endpoints of the branding: public reads (both apps and every email show it), admin
writes guarded by If-Match, and the uploaded images at URLs that never change."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response

from oms.auth.dependencies import ConfigWriter
from oms.branding import service
from oms.branding.schemas import BrandingRead, BrandingWrite
from oms.core.conditional import NOT_MODIFIED, IfMatch, IfNoneMatch, not_modified, tagged_json
from oms.core.db import Session
from oms.core.etags import if_none_match_passes
from oms.core.images import IMAGE_HEADERS
from oms.core.openapi import problems

router = APIRouter(prefix="/branding", tags=["branding"])

Image = Annotated[Literal["logo", "favicon"], Path(description="Which image.")]

BINARY = {"type": "string", "format": "binary"}
WRITE_PROBLEMS = problems(
    {
        412: "If-Match does not match: someone changed the branding since you read it.",
        428: "If-Match is missing.",
    }
)


def _answer(branding: BrandingRead) -> Response:
    return tagged_json(branding, branding.version, {"Cache-Control": "no-cache"})


@router.get(
    "",
    response_model=BrandingRead,
    responses=NOT_MODIFIED,
)
async def get_branding(session: Session, if_none_match: IfNoneMatch = None) -> Response:
    """Public. Revalidate with If-None-Match: the answer is 304 while nothing changed."""
    branding = await service.current_branding(session)
    if not if_none_match_passes(if_none_match, branding.version):
        return not_modified(branding.version)
    return _answer(branding)


@router.put("", response_model=BrandingRead, responses=WRITE_PROBLEMS)
async def replace_branding(
    body: BrandingWrite, session: Session, user: ConfigWriter, if_match: IfMatch = None
) -> Response:
    branding = await service.replace_branding(session, body, if_match=if_match, actor=user.user_id)
    return _answer(branding)


@router.put(
    "/{image}",
    response_model=BrandingRead,
    responses={
        **WRITE_PROBLEMS,
        **problems(
            {
                400: "The bytes are not an image of the type sent.",
                413: "The image is larger than `OMS_MAX_IMAGE_BYTES`.",
                415: "The Content-Type is not PNG, JPEG, WebP or SVG.",
            }
        ),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {content_type: {"schema": BINARY} for content_type in service.IMAGE_TYPES},
        }
    },
)
async def upload_branding_image(
    image: Image, request: Request, session: Session, user: ConfigWriter, if_match: IfMatch = None
) -> Response:
    """The image's bytes as the body, its type as Content-Type."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    branding = await service.set_image(
        session,
        image,
        content_type,
        await request.body(),
        max_bytes=request.app.state.settings.max_image_bytes,
        if_match=if_match,
        actor=user.user_id,
    )
    return _answer(branding)


@router.delete("/{image}", response_model=BrandingRead, responses=WRITE_PROBLEMS)
async def remove_branding_image(
    image: Image, session: Session, user: ConfigWriter, if_match: IfMatch = None
) -> Response:
    branding = await service.remove_image(session, image, if_match=if_match, actor=user.user_id)
    return _answer(branding)


@router.get(
    "/assets/{digest}",
    responses={
        200: {
            "description": "The image.",
            "content": {
                t: {"schema": {"type": "string", "format": "binary"}} for t in service.IMAGE_TYPES
            },
        },
        **problems({404: "No image has this digest."}),
    },
    response_class=Response,
)
async def get_branding_asset(
    digest: Annotated[str, Path(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the bytes.")],
    session: Session,
) -> Response:
    found = await service.asset(session, digest)
    return Response(found.content, media_type=found.content_type, headers=IMAGE_HEADERS)
