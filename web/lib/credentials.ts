// The sign-in the pages share within one browser tab: kept in sessionStorage, never localStorage,
// so a shared counter PC forgets it when the browser (or the tab) closes. Nothing here logs or
// puts a credential anywhere else; connection.ts hands them to the broker only.

export interface Credentials {
  username: string;
  password: string;
}

const STORAGE_KEY = "vooru.signIn";

/** The credentials signed in with in this tab, or null (none, or storage is disabled). */
export function storedCredentials(): Credentials | null {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (!text) return null;
    const value = JSON.parse(text) as Partial<Credentials>;
    if (typeof value.username !== "string" || typeof value.password !== "string" || !value.username)
      return null;
    return { username: value.username, password: value.password };
  } catch {
    return null;
  }
}

export function storeCredentials(credentials: Credentials): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credentials));
  } catch {
    // Storage disabled: the sign-in holds for this page only.
  }
}

export function forgetCredentials(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}
