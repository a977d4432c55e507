"""What an operator watches: `/metrics` in the Prometheus text format and `/health` for a supervisor.

Counters are kept as things happen (updates processed and failed, planning time); backlogs are read from
the database at each scrape (the inbox and the outbox, and how long the oldest notice has waited), so they
are true even after a restart. Each application has its own registry: nothing global, several bots in one
test process never mix. Only counts and ages: never a name, never a message."""

from __future__ import annotations

import json
from dataclasses import dataclass

import tornado.web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from bot.runtime.health import Incident
from bot.runtime.web_server import Route
from bot.storage.inbox import InboxRepository
from bot.storage.outbox import OutboxRepository

# Planning takes from a fraction of a second (a small town) to minutes (the L demo town).
PLANNING_BUCKETS = (0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300)


@dataclass
class Metrics:
    registry: CollectorRegistry
    updates_processed: Counter
    updates_failed: Counter
    planning_seconds: Histogram
    inbox_backlog: Gauge
    outbox_backlog: Gauge
    oldest_notice_age: Gauge
    healthy: Gauge

    @classmethod
    def create(cls) -> Metrics:
        registry = CollectorRegistry(auto_describe=True)
        return cls(
            registry=registry,
            updates_processed=Counter(
                "lien_updates_processed", "Telegram updates processed to the end.", registry=registry
            ),
            updates_failed=Counter(
                "lien_updates_failed", "Telegram updates whose handler failed (logged).", registry=registry
            ),
            planning_seconds=Histogram(
                "lien_planning_seconds", "Time to plan a week.", buckets=PLANNING_BUCKETS, registry=registry
            ),
            inbox_backlog=Gauge("lien_inbox_backlog", "Updates stored, not yet processed.", registry=registry),
            outbox_backlog=Gauge("lien_outbox_backlog", "Notices still to deliver.", registry=registry),
            oldest_notice_age=Gauge(
                "lien_outbox_oldest_pending_seconds",
                "How long the oldest notice to deliver has waited.",
                registry=registry,
            ),
            healthy=Gauge("lien_healthy", "1 while nothing fails there, else 0.", ["watched"], registry=registry),
        )


@dataclass(frozen=True)
class Watched:
    """What the endpoints read: the metrics, the two queues and every incident tracker."""

    metrics: Metrics
    inbox: InboxRepository
    outbox: OutboxRepository
    incidents: tuple[Incident, ...]

    async def refresh(self) -> None:
        self.metrics.inbox_backlog.set(await self.inbox.backlog())
        waiting, oldest = await self.outbox.backlog()
        self.metrics.outbox_backlog.set(waiting)
        self.metrics.oldest_notice_age.set(oldest)
        for incident in self.incidents:
            self.metrics.healthy.labels(incident.subject).set(1 if incident.healthy else 0)


class _MetricsEndpoint(tornado.web.RequestHandler):
    def initialize(self, watched: Watched) -> None:
        self.watched = watched

    async def get(self) -> None:
        await self.watched.refresh()
        self.set_header("Content-Type", CONTENT_TYPE_LATEST)
        self.write(generate_latest(self.watched.metrics.registry))


class _HealthEndpoint(tornado.web.RequestHandler):
    """200 while Telegram answers and the disk takes writes; 503 naming what fails, for a supervisor."""

    def initialize(self, watched: Watched) -> None:
        self.watched = watched

    def get(self) -> None:
        failing = sorted({i.subject for i in self.watched.incidents if not i.healthy})
        self.set_status(503 if failing else 200)
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps({"status": "failing" if failing else "ok", "failing": failing}))


def monitoring_routes(watched: Watched) -> list[Route]:
    return [
        ("/metrics", _MetricsEndpoint, {"watched": watched}),
        ("/health", _HealthEndpoint, {"watched": watched}),
    ]
