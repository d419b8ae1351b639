// The subscribers the end-to-end tests use, created as an operator would: with sbctl (as in
// the seed's `serctl add 1000 password1 user1@nowhere.com`), or, for the hundreds a benchmark
// needs, straight through the auth admin API.

import { runSbctl } from "./sbctl.js";
import type { Stack } from "./stack.js";

export interface Subscriber {
  readonly username: string;
  readonly password: string;
  readonly email: string;
}

export const USER_1000: Subscriber = {
  username: "1000",
  password: "password1",
  email: "user1@nowhere.com",
};
export const USER_1001: Subscriber = {
  username: "1001",
  password: "password2",
  email: "user2@nowhere.com",
};

/** `sbctl add <user> <password> <email>` for each subscriber; throws unless each exits 0. */
export async function addWithSbctl(
  stack: Stack,
  subscribers: readonly Subscriber[],
): Promise<void> {
  for (const { username, password, email } of subscribers) {
    const result = await runSbctl(stack.admin, ["add", username, password, email]);
    if (result.code !== 0) {
      throw new Error(`sbctl add ${username} exited ${result.code}: ${result.stderr}`);
    }
  }
}

/** `POST /v1/subscribers` for each subscriber, `parallel` at a time. */
export async function addThroughAdminApi(
  stack: Stack,
  subscribers: readonly Subscriber[],
  parallel = 16,
): Promise<void> {
  const queue = [...subscribers];
  const worker = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const response = await fetch(`${stack.auth.httpUrl}/v1/subscribers`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${stack.adminToken}`,
          "content-type": "application/json",
        },
        body: JSON.stringify({
          username: next.username,
          domain: stack.domain,
          password: next.password,
          email: next.email,
        }),
      });
      if (response.status !== 201) {
        throw new Error(
          `creating ${next.username}: HTTP ${response.status} ${await response.text()}`,
        );
      }
      await response.arrayBuffer();
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
