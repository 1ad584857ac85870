#!/bin/sh
# The worker service: does its work, then exits.
echo "worker ran on $(uname -m)"
