#!/usr/bin/env bash
# Serialises commands that touch shared state when several people (or agents) work in one checkout:
#   scripts/locked.sh npm install -w @x/protocol some-package
#   scripts/locked.sh git commit -m "why" -- packages/protocol
# npm and git both keep a single lock file per tree; this waits for it instead of failing.
exec flock /tmp/x-kafka-worktree.lock "$@"
