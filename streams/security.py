"""The worker's Kafka login: the settings' protocol, TLS and SASL as Faust credentials."""

import faust
from faust.types.auth import CredentialsT

from tollstream.settings import Settings


def broker_credentials(settings: Settings) -> CredentialsT | None:
    """Faust's credentials for the configured protocol; None for PLAINTEXT."""
    protocol = settings.kafka_security_protocol
    if protocol == "PLAINTEXT":
        return None
    context = settings.ssl_context() if protocol.endswith("SSL") else None
    if protocol == "SSL":
        return faust.SSLCredentials(context)
    assert settings.kafka_password is not None  # the settings require it with SASL
    return faust.SASLCredentials(
        username=settings.kafka_username,
        password=settings.kafka_password.get_secret_value(),
        mechanism=settings.kafka_sasl_mechanism,
        ssl_context=context,
    )
