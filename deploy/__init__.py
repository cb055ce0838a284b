"""Deployment tools: a throwaway local PostgreSQL, replicas behind HAProxy, the test OIDC provider, the
`make deploy-test` stack and a websocket load driver. Nothing here is imported by the app."""
