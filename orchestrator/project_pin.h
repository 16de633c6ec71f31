/* A project's desired hashes pinned to the images their references name
 * now (svc_config_hash_pinned): `lochs tag other:1 app:latest` or a newer
 * pull under the same tag changes the hash, so apply and watch mode roll
 * the service out. An image not stored leaves the hash unpinned (its
 * create fails naming it). */
#pragma once
#include "cli.h"
#include "../reconciler/project.h"

void project_pin_images(struct cli *c, struct project_state *st);
