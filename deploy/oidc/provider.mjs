// A real OpenID Connect provider (the npm `oidc-provider` package) on loopback, for sign-in tests ONLY.
//
//   OIDC_PORT=9400 OIDC_REDIRECT_URIS=http://127.0.0.1:8500/oauth2callback node deploy/oidc/provider.mjs
//
// Test users (any password; the login form is oidc-provider's development interaction):
//   analyst   - groups: public-health   (sees indicators restricted to public-health)
//   finance   - groups: finance         (a signed-in user in the wrong group)
//   brief     - groups: public-health, but its ID token expires after OIDC_SHORT_TTL seconds (default 20),
//               for the expired-session test
// Anyone else is refused. The client is `insight-dashboard` with the secret in OIDC_CLIENT_SECRET.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT || 9400);
const issuer = process.env.OIDC_ISSUER || `http://127.0.0.1:${port}`;
const redirectUris = (process.env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:8501/oauth2callback').split(',');
const clientSecret = process.env.OIDC_CLIENT_SECRET || 'insight-test-secret-not-for-production';
const shortTtl = Number(process.env.OIDC_SHORT_TTL || 20);
const longTtl = 3600;

const USERS = {
  analyst: { name: 'Priya Analyst', email: 'analyst@example.test', groups: ['public-health'] },
  finance: { name: 'Frank Finance', email: 'finance@example.test', groups: ['finance'] },
  brief: { name: 'Bea Brief', email: 'brief@example.test', groups: ['public-health'] },
};

const configuration = {
  clients: [{
    client_id: 'insight-dashboard',
    client_secret: clientSecret,
    redirect_uris: redirectUris,
    post_logout_redirect_uris: redirectUris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  scopes: ['openid', 'profile', 'email', 'groups'],
  claims: { openid: ['sub'], profile: ['name'], email: ['email'], groups: ['groups'] },
  // Put the scopes' claims in the ID token itself: Streamlit reads the user from the ID token only.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    const user = USERS[id];
    if (!user) return undefined;
    return { accountId: id, async claims() { return { sub: id, ...user }; } };
  },
  ttl: {
    IdToken: (ctx, token) => (token.available && token.available.sub === 'brief' ? shortTtl : longTtl),
    AccessToken: longTtl,
    Session: longTtl,
    Grant: longTtl,
    Interaction: 600,
    AuthorizationCode: 60,
  },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  pkce: { required: () => false },
  cookies: { keys: ['insight-test-cookie-key-not-for-production'] },
};

const provider = new Provider(issuer, configuration);
provider.on('server_error', (ctx, error) => console.error('server_error', error));
const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer} (redirect URIs: ${redirectUris.join(', ')})`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
