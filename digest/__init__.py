"""Digest (原文摘编: every excerpt on a topic) and compare (对比: how speeches treat a topic over time)."""
