"""The desk's live feed from the data service (Qt-free; ui/feed_bridge.py brings it to Qt).

- `client.DataServiceClient`: blocking, validating client of API v1; every failure is a
  `DataServiceError` (`DataServiceUnavailable`, `DataServiceBadResponse`, `DataServiceTimeout`).
- `poller.FeedPoller`: runs on any asyncio loop; cursor-based catch-up with no gap and no
  duplicate; connection state (`FeedStatus`); coalesced, rate-limited `StationsBatch`es.
- `connection`: the connection state the poll outcomes lead to; `supervisor`: the watchdog
  that restarts a poll or flush task that died or hangs.
- `network_state`: the coalesced latest readings per station and their staleness.
- `embedded.EmbeddedDataService` / `start_embedded`: the reference data service as a watched
  child process.
- `records`: the typed records of the wire format, shared with the charts and the map.
"""
