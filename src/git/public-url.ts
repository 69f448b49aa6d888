/**
 * @module git/public-url
 * A repository URL as gitfed may record it (metadata file, notes, commit trailers) or print it:
 * without user info, query string or fragment, where tokens ride along
 * (`https://x-access-token:TOKEN@github.com/org/fleet.git`, `...?private_token=...`).
 * Only URLs with a scheme are touched: an scp-like `git@host:path` names a user, never a secret,
 * and a path is a path.
 */
export function publicUrl(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/)(?:[^/?#]*@)?([^?#]*)/i.exec(url);
  return m ? `${m[1]}${m[2]}` : url;
}
