/**
 * @module karmada/overrides/image-ref
 * Container image references split the way Karmada's imageparser does (distribution/reference
 * grammar, no docker.io normalisation): host, repository, and a tag or else a digest. An image
 * with both keeps the tag and loses the digest, as upstream.
 */

const pathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const domainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const host = `(?:${domainComponent}(?:\\.${domainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const name = `(?:${host}(?::[0-9]+)?/)?${pathComponent}(?:/${pathComponent})*`;
const tag = '[\\w][\\w.-]{0,127}';
const digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}';
const reference = new RegExp(`^(${name})(?::(${tag}))?(?:@(${digest}))?$`);
const anchoredTag = new RegExp(`^${tag}$`);
const anchoredDigest = new RegExp(`^${digest}$`);
const digestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };

export class ImageRefError extends Error {}

export class ImageRef {
  constructor(
    public host: string,
    public repository: string,
    public tag: string,
    public digest: string,
  ) {}

  static parse(image: string): ImageRef {
    if (image === '') throw new ImageRefError('repository name must have at least one component');
    const m = reference.exec(image);
    if (!m) {
      if (reference.test(image.toLowerCase())) throw new ImageRefError(`image ${JSON.stringify(image)}: repository name must be lowercase`);
      throw new ImageRefError(`image ${JSON.stringify(image)}: invalid reference format`);
    }
    const full = m[1]!;
    if (full.length > 255) throw new ImageRefError(`image ${JSON.stringify(image)}: repository name must not be more than 255 characters`);
    const dig = m[3] ?? '';
    if (dig) {
      const [alg, hex] = dig.split(':') as [string, string];
      if (digestLengths[alg] === undefined) throw new ImageRefError(`image ${JSON.stringify(image)}: unsupported digest algorithm ${alg}`);
      if (hex.length !== digestLengths[alg] || !/^[a-f0-9]+$/.test(hex)) throw new ImageRefError(`image ${JSON.stringify(image)}: invalid checksum digest format`);
    }
    const [h, repo] = splitHostname(full);
    const t = m[2] ?? '';
    return new ImageRef(h, repo, t, t ? '' : dig);
  }

  tagOrDigest(): string {
    return this.tag || this.digest;
  }

  /** A tag if it reads as one, else a digest if it reads as one, else nothing changes (upstream). */
  setTagOrDigest(value: string): void {
    if (anchoredTag.test(value)) {
      this.tag = value;
      this.digest = '';
    } else if (anchoredDigest.test(value)) {
      this.digest = value;
      this.tag = '';
    }
  }

  removeTagOrDigest(): void {
    if (this.tag) this.tag = '';
    else this.digest = '';
  }

  toString(): string {
    const repo = this.host ? `${this.host}/${this.repository}` : this.repository;
    if (this.tag) return `${repo}:${this.tag}`;
    if (this.digest) return `${repo}@${this.digest}`;
    return repo;
  }
}

/** The first path segment is a host iff it has a `.` or `:` or is `localhost`. */
function splitHostname(full: string): [string, string] {
  const i = full.indexOf('/');
  if (i === -1) return ['', full];
  const first = full.slice(0, i);
  if (!/[.:]/.test(first) && first !== 'localhost') return ['', full];
  return [first, full.slice(i + 1)];
}
