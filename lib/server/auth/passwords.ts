import { hash, verify } from '@node-rs/argon2';

// argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

// A valid hash of a random password, verified when the email is unknown so that "no such user"
// and "wrong password" take the same time.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$+n8Bk2GI5NaEQdkysYYqOw$Gm1BJXftw+RA1sKkcGmIFW1nSDlAefIjdAKl8Wj0O5s';

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  try {
    const isMatch = await verify(passwordHash ?? DUMMY_HASH, password);
    return isMatch && passwordHash !== null;
  } catch {
    return false;
  }
}
