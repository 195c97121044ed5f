import Phaser from "phaser";
import { ensureSparkTexture } from "./ui.ts";

/** Makes the game's textures (everything is drawn in code, nothing is downloaded), then the menu. */
export class Boot extends Phaser.Scene {
  private readonly makeTextures: (scene: Phaser.Scene) => void;

  constructor(makeTextures: (scene: Phaser.Scene) => void) {
    super({ key: "Boot" });
    this.makeTextures = makeTextures;
  }

  create() {
    ensureSparkTexture(this);
    this.makeTextures(this);
    this.scene.start("Menu");
  }
}
