package io.fleetpulse.dashboard;

/** One Server-Sent Event: its type, its JSON data, and its id (null for events a reconnect need not replay). */
record SseMessage(String event, String data, String id) {}
