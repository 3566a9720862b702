import { SingleBar, Presets } from "cli-progress";

export interface Progress {
  update: (value: number, label: string) => void;
  stop: () => void;
}

/** A progress bar on a terminal (stderr, so reports on stdout stay clean); nothing when piped. */
export function progressBar(total: number, unit: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `{bar} {value}/{total} ${unit}  {label}`, stream, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  bar.start(total, 0, { label: "" });
  return {
    update: (value, label) => {
      if (value > bar.getTotal()) bar.setTotal(value);
      bar.update(value, { label });
    },
    stop: () => bar.stop(),
  };
}
