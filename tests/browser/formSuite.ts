import type { Page } from "playwright-core";
import { describeShape, documentedRowFor } from "../../src/emulator/requestShapes";
import type { HarnessOptions } from "../../src/harness/server";
import { openUser, startSession, type OpenedForm, type Session } from "./browser";

/**
 * What every User form test file shares: one harness and browser for the file, a fresh org before
 * each test, its pages closed after it, and no test may leave an error in the console. The User form
 * tests are split over files so jest runs them side by side: most of their time is spent waiting.
 */
export function setUpFormSuite(options: HarnessOptions = {}) {
  let session: Session | undefined;
  let opened: OpenedForm[] = [];

  beforeAll(async () => {
    session = await startSession(options);
  });
  afterAll(() => session?.close());
  beforeEach(() => session?.harness.emulator.reset());
  afterEach(async () => {
    const forms = opened;
    opened = [];
    await Promise.all(forms.map((form) => form.page.close()));
    expect(forms.flatMap((form) => form.errors)).toEqual([]);
  });

  const started = (): Session => {
    if (!session) throw new Error("The harness session has not started.");
    return session;
  };

  return {
    get session(): Session {
      return started();
    },
    /** Forms opened by the current test, in order. */
    get opened(): readonly OpenedForm[] {
      return opened;
    },
    async open(userId: string, query: Record<string, string> = {}, viewport?: { width: number; height: number }): Promise<Page> {
      const form = await openUser(started(), userId, query, viewport);
      opened.push(form);
      return form.page;
    },
    /** The user's row as the emulator holds it now. */
    user: (id: string) => started().harness.emulator.store.get("systemuser", id),
    /** Request shapes the control sent in this file that Dataverse does not document. */
    undocumentedShapes: () =>
      [...started().harness.emulator.shapes.values()].filter((shape) => !documentedRowFor(shape)).map(describeShape),
  };
}
