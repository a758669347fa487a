// Docker puts files into a container as a tar archive; this packs the program's uploads into one.
import { pack } from "tar-stream";
import type { ContainerUpload } from "./containerSpec";

export async function uploadArchive(uploads: ContainerUpload[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  archive.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    archive.on("end", resolve);
    archive.on("error", reject);
  });
  for (const upload of uploads) {
    // Extracted at "/", so the entry name is the absolute path without its leading slash.
    archive.entry({ name: upload.file.replace(/^\/+/, ""), mode: upload.mode }, upload.content);
  }
  archive.finalize();
  await done;
  return Buffer.concat(chunks);
}
