"""Amparo: the information system of an anti-trafficking organisation."""
