"""The web side of pledges, a module per audience.

signing (the signing flow), account (the signed-in signer), public (the public and partners),
api (open data).
"""
