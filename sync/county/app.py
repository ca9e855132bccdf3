"""The county server over HTTP (FastAPI). Bundles are signed and encrypted end to end, so
plain HTTP inside a county network is safe; a replayed bundle changes nothing.

    GET  /api/v1/info     who this county is (code, name, key fingerprint, versions)
    POST /api/v1/enroll   a station's enrollment request → the county's answer
    POST /api/v1/sync     a station's bundle → the return bundle
"""

import threading
from pathlib import Path

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from db import migrations
from db.errors import StationError

from .. import PROTOCOL
from ..errors import BundleRefused
from .enrollment import register
from .service import handle_bytes
from .store import county, open_county

MAX_BODY = 1024 * 1024 * 1024
BUNDLE = "application/octet-stream"


class Info(BaseModel):
    county_code: str
    name: str
    fingerprint: str
    protocol: int
    schema_version: str


class EnrollRequest(BaseModel):
    station_code: str = Field(pattern=r"^\d{9}$")
    station_name: str = Field(max_length=200)
    site_id: str = Field(min_length=1, max_length=64)
    sign_pub: str = Field(pattern=r"^[0-9a-f]{64}$")
    kex_pub: str = Field(pattern=r"^[0-9a-f]{64}$")
    proof: str = Field(pattern=r"^[0-9a-f]{64}$")


class EnrollAnswer(BaseModel):
    format: str
    station_code: str
    county_code: str
    county_name: str
    sign_pub: str
    kex_pub: str
    proof: str


class Refusal(BaseModel):
    code: str
    message: str


def create_app(data_dir: Path) -> FastAPI:
    """The ASGI app serving the county database in ``data_dir``. One writer at a time:
    requests are served one after another on the database (SQLite's own rule)."""
    app = FastAPI(title="jobstation 县级同步服务", version=str(PROTOCOL))
    lock = threading.Lock()

    # Every refusal, the framework's own included, answers in the documented Refusal shape.
    @app.exception_handler(RequestValidationError)
    async def incomplete(_request, _exc):
        return JSONResponse({"code": "invalid", "message": "请求内容不完整或格式不对。"}, 422)

    @app.exception_handler(HTTPException)
    async def refused(_request, exc: HTTPException):
        return JSONResponse({"code": "http", "message": "请求无法处理，请检查请求内容。"},
                            exc.status_code, headers=exc.headers)

    def with_store(work):
        with lock:
            store = open_county(data_dir)
            try:
                return work(store)
            finally:
                store.close()

    refusals = {400: {"model": Refusal}, 403: {"model": Refusal}, 409: {"model": Refusal},
                422: {"model": Refusal}}

    @app.get("/api/v1/info", response_model=Info)
    def info() -> Info:
        ident = with_store(county)
        return Info(county_code=ident.code, name=ident.name,
                    fingerprint=ident.keys.public.fingerprint, protocol=PROTOCOL,
                    schema_version=migrations.latest())

    @app.post("/api/v1/enroll", response_model=EnrollAnswer, responses=refusals)
    def enroll(request: EnrollRequest):
        try:
            return with_store(lambda store: register(store, request.model_dump(), way="network"))
        except StationError as exc:
            return JSONResponse({"code": "enroll_refused", "message": str(exc)}, 403)

    @app.post("/api/v1/sync", responses={
        200: {"content": {BUNDLE: {"schema": {"type": "string", "format": "binary"}}},
              "description": "县里的回执数据包"}, **refusals},
        openapi_extra={"requestBody": {"required": True, "content": {
            BUNDLE: {"schema": {"type": "string", "format": "binary"}}}}})
    async def sync(request: Request):
        body = await request.body()
        if not body or len(body) > MAX_BODY:
            return JSONResponse({"code": "empty", "message": "没有收到数据包。"}, 422)
        try:
            _result, answer = await anyio.to_thread.run_sync(
                lambda: with_store(lambda store: handle_bytes(store, body)))
        except BundleRefused as exc:
            return JSONResponse({"code": exc.code, "message": str(exc)}, 422)
        except StationError as exc:
            return JSONResponse({"code": "refused", "message": str(exc)}, 409)
        return Response(answer, media_type=BUNDLE)

    return app
