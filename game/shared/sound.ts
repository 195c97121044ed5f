/**
 * Sound effects synthesised with WebAudio (no audio files), and the player's sound
 * on/off choice kept in localStorage across visits and games. The AudioContext is made
 * on the first sound after a user gesture, as browsers require.
 */
const STORAGE_KEY = "tributary:game-sound";

export function loadSoundPreference(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) !== "off";
  } catch {
    return true;
  }
}

export function saveSoundPreference(isOn: boolean): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, isOn ? "on" : "off");
  } catch {
    // Private browsing may refuse storage; the choice still holds for this visit.
  }
}

export type SoundName =
  | "click"
  | "jump"
  | "coin"
  | "crash"
  | "select"
  | "swap"
  | "invalid"
  | "match"
  | "lane"
  | "miss"
  | "kick"
  | "hat"
  | "count"
  | "go"
  | "finish"
  | "achievement";

type Tone = {
  type: OscillatorType;
  from: number;
  to?: number;
  start?: number;
  duration: number;
  volume: number;
};

const laneNotes = [523.25, 659.25, 783.99, 1046.5];

export class Synth {
  isOn: boolean;
  private context: AudioContext | null = null;
  private master: GainNode | null = null;
  private noise: AudioBuffer | null = null;
  private isBroken = false;

  constructor(isOn = loadSoundPreference()) {
    this.isOn = isOn;
  }

  setOn(isOn: boolean): void {
    this.isOn = isOn;
    saveSoundPreference(isOn);
    if (isOn) this.unlock();
  }

  /** Call from an input handler: makes (or resumes) the AudioContext inside the gesture. */
  unlock(): void {
    if (!this.isOn || this.isBroken) return;
    try {
      if (!this.context) {
        const AudioContextClass =
          globalThis.AudioContext ??
          (globalThis as unknown as { webkitAudioContext?: typeof AudioContext })
            .webkitAudioContext;
        if (!AudioContextClass) {
          this.isBroken = true;
          return;
        }
        this.context = new AudioContextClass();
        this.master = this.context.createGain();
        this.master.gain.value = 0.22;
        this.master.connect(this.context.destination);
      }
      if (this.context.state === "suspended") void this.context.resume().catch(() => {});
    } catch {
      this.isBroken = true;
    }
  }

  /** Plays one effect; `variant` picks a pitch (a lane, a cascade's wave). */
  play(name: SoundName, variant = 0): void {
    if (!this.isOn || this.isBroken) return;
    this.unlock();
    const context = this.context;
    if (!context || context.state !== "running") return;
    switch (name) {
      case "click":
        return this.tones([{ type: "triangle", from: 880, duration: 0.05, volume: 0.3 }]);
      case "jump":
        return this.tones([{ type: "square", from: 320, to: 640, duration: 0.12, volume: 0.18 }]);
      case "coin":
        return this.tones([
          { type: "sine", from: 988, duration: 0.07, volume: 0.35 },
          { type: "sine", from: 1319, start: 0.06, duration: 0.14, volume: 0.35 },
        ]);
      case "crash":
        this.burst(0.35, 900, 0.6);
        return this.tones([{ type: "sine", from: 140, to: 40, duration: 0.4, volume: 0.6 }]);
      case "select":
        return this.tones([{ type: "triangle", from: 660, duration: 0.06, volume: 0.3 }]);
      case "swap":
        return this.tones([{ type: "triangle", from: 440, to: 560, duration: 0.09, volume: 0.3 }]);
      case "invalid":
        return this.tones([
          { type: "square", from: 180, duration: 0.08, volume: 0.14 },
          { type: "square", from: 150, start: 0.09, duration: 0.1, volume: 0.14 },
        ]);
      case "match": {
        const root = 523.25 * 2 ** (Math.min(variant, 8) / 6);
        return this.tones([
          { type: "sine", from: root, duration: 0.18, volume: 0.3 },
          { type: "sine", from: root * 1.25, start: 0.05, duration: 0.18, volume: 0.25 },
          { type: "sine", from: root * 1.5, start: 0.1, duration: 0.22, volume: 0.22 },
        ]);
      }
      case "lane":
        return this.tones([
          { type: "sine", from: laneNotes[variant % 4]!, duration: 0.16, volume: 0.4 },
          { type: "triangle", from: laneNotes[variant % 4]! * 2, duration: 0.06, volume: 0.12 },
        ]);
      case "miss":
        return this.tones([{ type: "triangle", from: 130, to: 90, duration: 0.12, volume: 0.3 }]);
      case "kick":
        return this.tones([{ type: "sine", from: 150, to: 45, duration: 0.14, volume: 0.55 }]);
      case "hat":
        return this.burst(0.03, 7000, 0.12, "highpass");
      case "count":
        return this.tones([{ type: "sine", from: 660, duration: 0.1, volume: 0.35 }]);
      case "go":
        return this.tones([{ type: "sine", from: 1320, duration: 0.2, volume: 0.35 }]);
      case "finish":
        return this.tones(
          [523.25, 659.25, 783.99, 1046.5].map((from, i) => ({
            type: "triangle" as const,
            from,
            start: i * 0.09,
            duration: 0.16,
            volume: 0.3,
          })),
        );
      case "achievement":
        return this.tones(
          [783.99, 1046.5, 1318.5, 1568].map((from, i) => ({
            type: "sine" as const,
            from,
            start: i * 0.07,
            duration: 0.2,
            volume: 0.3,
          })),
        );
    }
  }

  close(): void {
    void this.context?.close().catch(() => {});
    this.context = null;
  }

  private tones(tones: Tone[]) {
    const context = this.context!;
    const now = context.currentTime;
    for (const tone of tones) {
      const at = now + (tone.start ?? 0);
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = tone.type;
      oscillator.frequency.setValueAtTime(tone.from, at);
      if (tone.to) oscillator.frequency.exponentialRampToValueAtTime(tone.to, at + tone.duration);
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(tone.volume, at + 0.01);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + tone.duration);
      oscillator.connect(gain).connect(this.master!);
      oscillator.start(at);
      oscillator.stop(at + tone.duration + 0.02);
    }
  }

  private burst(
    duration: number,
    frequency: number,
    volume: number,
    kind: BiquadFilterType = "lowpass",
  ) {
    const context = this.context!;
    if (!this.noise) {
      const length = Math.floor(context.sampleRate * 0.5);
      this.noise = context.createBuffer(1, length, context.sampleRate);
      const data = this.noise.getChannelData(0);
      // Sound only: this randomness never touches a game's rules.
      for (let i = 0; i < length; i++) data[i] = Math.random() * 2 - 1;
    }
    const now = context.currentTime;
    const source = context.createBufferSource();
    source.buffer = this.noise;
    const filter = context.createBiquadFilter();
    filter.type = kind;
    filter.frequency.value = frequency;
    const gain = context.createGain();
    gain.gain.setValueAtTime(volume, now);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + duration);
    source.connect(filter).connect(gain).connect(this.master!);
    source.start(now);
    source.stop(now + duration + 0.02);
  }
}
