#!/bin/sh
# Renders the app's single page.
set -eu
echo "<!doctype html><title>app</title><h1>app $(cat VERSION)</h1>"
