"""The county server over HTTP (FastAPI). Bundles are signed and encrypted end to end, so
plain HTTP inside a county network is safe; a replayed bundle changes nothing.

    GET  /api/v1/info     who this county is (code, name, key fingerprint, versions)
    POST /api/v1/enroll   a station's enrollment request → the county's answer
    POST /api/v1/sync     a station's bundle → the return bundle
"""

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

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
MAX_WAITING = 64  # a county of 50–60 stations all syncing at once still queues
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


class Busy(Exception):
    """More stations are waiting than the server should keep waiting."""


class CountyWorker:
    """The county database on one thread of its own, opened once: SQLite has one writer
    anyway, and opening the file per request cost more than most syncs."""

    def __init__(self, data_dir: Path, max_waiting: int = MAX_WAITING):
        self.data_dir = data_dir
        self.max_waiting = max_waiting
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="county-db")
        self.waiting = 0
        self.guard = threading.Lock()
        self.store = None

    def submit(self, work, *, limit: bool = True) -> Future:
        with self.guard:
            if limit and self.waiting >= self.max_waiting:
                raise Busy
            self.waiting += 1
        return self.executor.submit(self._run, work)

    def _run(self, work):
        try:
            if self.store is None:
                self.store = open_county(self.data_dir)
            return work(self.store)
        finally:
            with self.guard:
                self.waiting -= 1

    def run(self, work):
        return self.submit(work).result()

    def close(self) -> None:
        def shut(_store):
            if self.store is not None:
                self.store.close()
                self.store = None
        self.executor.submit(self._run, shut).result()
        self.executor.shutdown()


BUSY = {"code": "busy", "message": "县里服务器正忙，请稍后再试（本站数据都已保留）。"}


def create_app(data_dir: Path, max_waiting: int = MAX_WAITING) -> FastAPI:
    """The ASGI app serving the county database in ``data_dir``. One writer at a time:
    requests queue for the database thread; beyond ``max_waiting`` they are told to come
    back later (503) instead of timing out."""
    worker = CountyWorker(data_dir, max_waiting)
    ident = worker.submit(county, limit=False).result()

    @asynccontextmanager
    async def lifespan(_app):
        yield
        worker.close()

    app = FastAPI(title="jobstation 县级同步服务", version=str(PROTOCOL), lifespan=lifespan)

    @app.exception_handler(Busy)
    async def busy(_request, _exc):
        return JSONResponse(BUSY, 503, headers={"Retry-After": "10"})

    # Every refusal, the framework's own included, answers in the documented Refusal shape.
    @app.exception_handler(RequestValidationError)
    async def incomplete(_request, _exc):
        return JSONResponse({"code": "invalid", "message": "请求内容不完整或格式不对。"}, 422)

    @app.exception_handler(HTTPException)
    async def refused(_request, exc: HTTPException):
        return JSONResponse({"code": "http", "message": "请求无法处理，请检查请求内容。"},
                            exc.status_code, headers=exc.headers)

    refusals = {400: {"model": Refusal}, 403: {"model": Refusal}, 409: {"model": Refusal},
                422: {"model": Refusal}, 503: {"model": Refusal}}

    @app.get("/api/v1/info", response_model=Info)
    def info() -> Info:
        return Info(county_code=ident.code, name=ident.name,
                    fingerprint=ident.keys.public.fingerprint, protocol=PROTOCOL,
                    schema_version=migrations.latest())

    @app.post("/api/v1/enroll", response_model=EnrollAnswer, responses=refusals)
    def enroll(request: EnrollRequest):
        try:
            return worker.run(lambda store: register(store, request.model_dump(), way="network"))
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
            _result, answer = await asyncio.wrap_future(
                worker.submit(lambda store: handle_bytes(store, body)))
        except BundleRefused as exc:
            return JSONResponse({"code": exc.code, "message": str(exc)}, 422)
        except StationError as exc:
            return JSONResponse({"code": "refused", "message": str(exc)}, 409)
        return Response(answer, media_type=BUNDLE)

    return app
