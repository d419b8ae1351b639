import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { PasswordInputError, promptNewPassword, readPasswordFromStream } from "./password-input.js";
import { Capture, fakeTerminal, pipedInput } from "./test-support/cli-harness.js";

describe("readPasswordFromStream", () => {
  it("reads the whole input minus one trailing line break", async () => {
    assert.equal(await readPasswordFromStream(pipedInput("s3cret pass\n")), "s3cret pass");
    assert.equal(await readPasswordFromStream(pipedInput("s3cret\r\n")), "s3cret");
    assert.equal(await readPasswordFromStream(pipedInput("s3cret")), "s3cret");
  });

  it("refuses an empty or oversized input", async () => {
    await assert.rejects(readPasswordFromStream(pipedInput("\n")), PasswordInputError);
    await assert.rejects(readPasswordFromStream(pipedInput("x".repeat(5000))), /longer than 4 KiB/);
  });
});

describe("promptNewPassword", () => {
  it("asks twice, echoes nothing and restores the terminal", async () => {
    const terminal = fakeTerminal("hidden-pw\rhidden-pw\r");
    const prompts = new Capture();
    assert.equal(await promptNewPassword(terminal, prompts), "hidden-pw");
    assert.equal(prompts.text, "New password: \nRetype new password: \n");
    assert.deepEqual(terminal.rawModes, [true, false]);
  });

  it("applies backspace and Ctrl-U and treats CRLF as one line break", async () => {
    const terminal = fakeTerminal("wrong\u0015abcx\u007f\r\nabc\n");
    assert.equal(await promptNewPassword(terminal, new Capture()), "abc");
  });

  it("refuses two different entries", async () => {
    const terminal = fakeTerminal("first-pw\rsecond-pw\r");
    await assert.rejects(promptNewPassword(terminal, new Capture()), /passwords do not match/);
    assert.deepEqual(terminal.rawModes, [true, false]);
  });

  it("stops on Ctrl-C, ends the prompt line and restores the terminal", async () => {
    const terminal = fakeTerminal("abc\u0003");
    const prompts = new Capture();
    await assert.rejects(promptNewPassword(terminal, prompts), /cancelled/);
    assert.equal(prompts.text, "New password: \n");
    assert.deepEqual(terminal.rawModes, [true, false]);
  });

  it("stops when the input ends before a line is complete", async () => {
    const terminal = fakeTerminal("only-once\r");
    terminal.end();
    await assert.rejects(promptNewPassword(terminal, new Capture()), /ended before the password/);
  });

  it("refuses an empty password", async () => {
    const terminal = fakeTerminal("\r\r");
    await assert.rejects(promptNewPassword(terminal, new Capture()), /password is empty/);
  });
});
