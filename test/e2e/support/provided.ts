/** What the e2e global setup hands to test files through vitest's provide/inject. */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Path of the kubeconfig with one context per member (member1, member2, member3). */
    gitfedKubeconfig: string;
  }
}

/** The environment variable that carries the same path, for code that runs outside inject(). */
export const KUBECONFIG_ENV = 'GITFED_E2E_KUBECONFIG';
