// A real OpenID Connect provider for Civitas's tests, set up like FranceConnect's
// integration environment: the same scopes and claims (given_name, family_name,
// birthdate, birthplace, birthcountry, gender, email), the eIDAS levels as acr values,
// the user info answered as a signed JWT, RP-initiated logout with id_token_hint.
// It is the certified `oidc-provider` package; only the log-in and consent screen is
// ours (FranceConnect's own is a choice of identity provider, then a consent page).
//
//   node server.mjs PORT     prints "listening http://127.0.0.1:PORT" once ready.
//
// Clients register themselves through Dynamic Client Registration (RFC 7591), so each
// test declares the exact redirect URIs of its own live server. A client whose
// client_name is "expired-code-test" gets authorization codes valid for one second.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2] || 0);
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node server.mjs PORT');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

// FranceConnect's demo identities: a person born in Paris 7e, and one born abroad
// (FranceConnect then gives an empty birthplace and the country's INSEE code).
const PEOPLE = {
  angela: {
    given_name: 'Angela Claire Louise',
    family_name: 'DUBOIS',
    birthdate: '1962-08-24',
    birthplace: '75107',
    birthcountry: '99100',
    gender: 'female',
    email: 'wossewodda-3728@yopmail.com',
    preferred_username: '',
  },
  karim: {
    given_name: 'Karim',
    family_name: 'BENALI',
    birthdate: '2011-03-15',
    birthplace: '',
    birthcountry: '99350',
    gender: 'male',
    email: 'karim.benali@yopmail.com',
    preferred_username: '',
  },
};
// Pairwise-looking subjects, as FranceConnect gives (one per person and client kind).
const SUBJECTS = {
  angela: 'b6048e95bb134ec5b1d1e1fa69f287172e91722b9354d637a1bcf2ebb0fd2ef5v1',
  karim: '4d327dd1e427daf4d50296ab71d6f3fc82ccc40742943521d42f6df3ee8f8e3dv1',
};
const PERSON_OF_SUBJECT = Object.fromEntries(Object.entries(SUBJECTS).map(([name, sub]) => [sub, name]));

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const configuration = {
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  scopes: ['openid', 'given_name', 'family_name', 'birthdate', 'birthplace', 'birthcountry', 'gender', 'email', 'preferred_username'],
  claims: {
    openid: ['sub'],
    given_name: ['given_name'],
    family_name: ['family_name'],
    birthdate: ['birthdate'],
    birthplace: ['birthplace'],
    birthcountry: ['birthcountry'],
    gender: ['gender'],
    email: ['email'],
    preferred_username: ['preferred_username'],
  },
  responseTypes: ['code'],
  clientDefaults: {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: 'RS256',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  features: {
    devInteractions: { enabled: false },
    registration: { enabled: true },
    jwtUserinfo: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  // FranceConnect does not require PKCE; it is still offered (S256) and used when sent.
  pkce: { required: () => false },
  ttl: {
    AuthorizationCode: (ctx, token, client) => (client.clientName === 'expired-code-test' ? 1 : 60),
    AccessToken: 60,
    IdToken: 60,
    Interaction: 600,
    Session: 600,
    Grant: 600,
  },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const person = PEOPLE[PERSON_OF_SUBJECT[sub]];
    if (!person) return undefined;
    return { accountId: sub, async claims() { return { sub, ...person }; } };
  },
};

const provider = new Provider(issuer, configuration);

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function interactionPage(uid, details) {
  const client = escapeHtml(details.params.client_id);
  const scopes = escapeHtml(details.params.scope || '');
  const options = Object.entries(PEOPLE)
    .map(([name, p]) => `<option value="${name}">${escapeHtml(p.given_name)} ${escapeHtml(p.family_name)}</option>`)
    .join('');
  return `<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Fournisseur d'identité de test</title></head>
<body><main>
<h1>Fournisseur d'identité de test</h1>
<p>Le service <strong>${client}</strong> demande : ${scopes}</p>
<form method="post" action="/interaction/${uid}">
<label for="person">Identité de test</label>
<select id="person" name="person">${options}</select>
<button type="submit" name="decision" value="allow">Continuer</button>
<button type="submit" name="decision" value="deny">Refuser</button>
</form></main></body></html>`;
}

provider.use(async (ctx, next) => {
  const match = ctx.path.match(/^\/interaction\/([\w-]+)$/);
  if (!match) return next();
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  if (details.uid !== match[1]) ctx.throw(400, 'interaction mismatch');
  if (ctx.method === 'GET') {
    ctx.type = 'html';
    ctx.body = interactionPage(details.uid, details);
    return undefined;
  }
  if (ctx.method !== 'POST') ctx.throw(405);
  const form = await readForm(ctx.req);
  let result;
  if (form.get('decision') !== 'allow') {
    result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
  } else {
    const sub = SUBJECTS[form.get('person')];
    if (!sub) ctx.throw(400, 'unknown person');
    // Log-in and consent in one step: the grant covers every scope and claim asked.
    const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope || 'openid');
    const grantId = await grant.save();
    const acr = (details.params.acr_values || 'eidas1').split(' ')[0];
    result = { login: { accountId: sub, acr, amr: ['pwd'] }, consent: { grantId } };
  }
  const redirectTo = await provider.interactionResult(ctx.req, ctx.res, result, { mergeWithLastSubmission: false });
  ctx.status = 303;
  ctx.redirect(redirectTo);
  return undefined;
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`listening ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
