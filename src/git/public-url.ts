/**
 * @module git/public-url
 * The one place that decides how a repository URL may be recorded or shown. A fleet repo cloned
 * with a token (`https://x-access-token:TOKEN@host/org/fleet.git`, the form `render --push`
 * suggests for HTTPS) must never get that token into the output branch, the notes, a report, a
 * log or an error message, where every reader of the branch would see it.
 *
 * The rules:
 * - http(s) and every other `scheme://` URL lose their user info entirely: for HTTPS the user
 *   name is often the token itself (`https://TOKEN@github.com/...`).
 * - ssh (`ssh://git@host/...` and scp-like `git@host:org/repo`) keeps the user name and loses a
 *   password: `git@` names the account git logs in as, which is needed to clone and is no secret.
 * - Every URL loses its query string and fragment (`?private_token=...`).
 * - A plain path is left as it is.
 * A URL without any of these comes back byte for byte, so recorded names do not change.
 */

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** `[user@]host:path` with no slash before the colon: git's scp-like syntax. */
const SCP_LIKE = /^([^/]*@)?([^/@:]+):(?!\/\/)/;

interface UrlParts {
  /** `https://`, or '' for scp-like. */
  readonly prefix: string;
  /** User info without its `@`; '' when there is none. */
  readonly userinfo: string;
  /** Host, path, query and fragment. */
  readonly rest: string;
  readonly ssh: boolean;
}

function cutQuery(rest: string): string {
  const i = rest.search(/[?#]/);
  return i < 0 ? rest : rest.slice(0, i);
}

/** null for a plain path. */
function splitUrl(url: string): UrlParts | null {
  const scheme = SCHEME.exec(url);
  if (scheme) {
    const prefix = scheme[0];
    const body = url.slice(prefix.length);
    const ssh = /^(ssh|git\+ssh|ssh\+git)$/i.test(scheme[1]!);
    // The authority ends at the first `/`, `?` or `#`; its user info at the last `@` in it.
    const end = body.search(/[/?#]/);
    const at = (end < 0 ? body : body.slice(0, end)).lastIndexOf('@');
    if (at >= 0) return { prefix, userinfo: body.slice(0, at), rest: body.slice(at + 1), ssh };
    // A password holding an unescaped `/` ends the authority early (`user:a/b@host`); no valid
    // URL looks like that, and what is before the `@` is taken as user info all the same.
    const path = cutQuery(body);
    const stray = path.lastIndexOf('@');
    if (stray >= 0 && path.slice(0, stray).includes(':')) return { prefix, userinfo: path.slice(0, stray), rest: body.slice(stray + 1), ssh };
    return { prefix, userinfo: '', rest: body, ssh };
  }
  const scp = url.startsWith('.') ? null : SCP_LIKE.exec(url);
  if (!scp) return null;
  return { prefix: '', userinfo: scp[1] ? scp[1].slice(0, -1) : '', rest: url.slice(scp[1]?.length ?? 0), ssh: true };
}

/** `url` as gitfed may record or print it: see the module comment for what is removed. */
export function publicUrl(url: string): string {
  const p = splitUrl(url);
  if (!p) return url;
  const user = p.ssh ? p.userinfo.split(':', 1)[0]! : '';
  return p.prefix + (user ? `${user}@` : '') + cutQuery(p.rest);
}

/** The parts of `url` that must not be shown: user info (and its halves) and query values. */
function secretsOf(url: string): string[] {
  const p = splitUrl(url);
  if (!p) return [];
  const found = new Set<string>();
  const add = (s: string) => {
    // A short value would blank out unrelated words ("git" in "github"); tokens are long, and
    // every URL in the text loses its user info and query by form anyway.
    if (s.length < 6) return;
    found.add(s);
    try {
      found.add(decodeURIComponent(s));
    } catch {
      // Not percent-encoded.
    }
  };
  if (p.userinfo) {
    const colon = p.userinfo.indexOf(':');
    if (colon >= 0) add(p.userinfo.slice(colon + 1));
    // Over HTTPS a user name alone is the token (`https://TOKEN@host`); beside a password it is an
    // account name, and an ssh user is kept in the URL anyway.
    else if (!p.ssh) add(p.userinfo);
  }
  const q = p.rest.search(/[?#]/);
  if (q >= 0) {
    const tail = p.rest.slice(q + 1);
    add(tail);
    for (const part of tail.split(/[&#;]/)) add(part.slice(part.indexOf('=') + 1));
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** A URL inside free text: up to whitespace or a quote, without the punctuation that ends a sentence. */
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>`]*[^\s"'<>`.,;:)]/gi;

/**
 * `text` (an error message from a transport, a log line) with every URL in it made public and
 * every secret part of `urls` (the raw URLs that were used) blanked wherever it appears, also
 * outside a URL (a transport may echo a header or a decoded password).
 */
export function scrubSecrets(text: string, ...urls: readonly string[]): string {
  let out = text;
  for (const url of urls) if (url) out = out.split(url).join(publicUrl(url));
  out = out.replace(URL_IN_TEXT, (u) => publicUrl(u));
  for (const url of urls) for (const secret of secretsOf(url)) out = out.split(secret).join('***');
  return out;
}
