// Prompts in the stub model server's answer policy (test/support/stub-model-server/README.md), one
// place for every tier that drives a real CLI against it.

/** The CLI's answer carries `STUB-ANSWER: <word>`. */
export const sayPrompt = (word: string): string => `SAY ${word}`;

/** The CLI writes `<content>` and a newline into `<file>` with its own file tool (Aider: an edit block). */
export const writeFilePrompt = (file: string, content: string): string => `WRITE_FILE ${file} ${content}`;

/** As `sayPrompt`, but every model call waits until the test releases `key` (`/_stub/release/<key>`). */
export const heldSayPrompt = (word: string, key: string): string => `SAY ${word} HOLD ${key}`;
