-- CreateEnum
CREATE TYPE "TokenProvider" AS ENUM ('tinvest', 'tapi');

-- CreateEnum
CREATE TYPE "TokenKind" AS ENUM ('readonly', 'full_access', 'account_scoped', 'sandbox', 'tapi');

-- CreateEnum
CREATE TYPE "TokenState" AS ENUM ('active', 'paused', 'invalid', 'retired');

-- CreateTable
CREATE TABLE "Token" (
    "id" UUID NOT NULL,
    "provider" "TokenProvider" NOT NULL,
    "kind" "TokenKind" NOT NULL,
    "label" TEXT NOT NULL,
    "purpose" TEXT NOT NULL DEFAULT '',
    "endpointKind" TEXT NOT NULL,
    "endpointAddress" TEXT,
    "ownerId" UUID NOT NULL,
    "masked" TEXT NOT NULL,
    "fingerprint" TEXT,
    "sealed" TEXT,
    "kekVersion" INTEGER,
    "state" "TokenState" NOT NULL DEFAULT 'active',
    "invalidSince" TIMESTAMP(3),
    "pausedAt" TIMESTAMP(3),
    "retiredAt" TIMESTAMP(3),
    "allowedClasses" TEXT[],
    "keepAlive" BOOLEAN NOT NULL DEFAULT true,
    "verifiedAt" TIMESTAMP(3),
    "verifyOutcome" TEXT,
    "verifyMessage" TEXT,
    "tariff" JSONB,
    "userInfo" JSONB,
    "lastUsedAt" TIMESTAMP(3),
    "lastUsedByPersonAt" TIMESTAMP(3),
    "lastUsedByUserId" UUID,
    "lastKeptAliveAt" TIMESTAMP(3),
    "lastUsedByJob" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenAccount" (
    "tokenId" UUID NOT NULL,
    "accountId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "accessLevel" TEXT NOT NULL,
    "openedAt" TIMESTAMP(3),

    CONSTRAINT "TokenAccount_pkey" PRIMARY KEY ("tokenId","accountId")
);

-- CreateTable
CREATE TABLE "TokenVersion" (
    "id" UUID NOT NULL,
    "tokenId" UUID NOT NULL,
    "masked" TEXT NOT NULL,
    "depositedAt" TIMESTAMP(3) NOT NULL,
    "replacedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "replacedById" UUID,

    CONSTRAINT "TokenVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenGrant" (
    "id" UUID NOT NULL,
    "tokenId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "accountIds" TEXT[],
    "grantedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TokenGrant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TokenUsage" (
    "tokenId" UUID NOT NULL,
    "actorKey" TEXT NOT NULL,
    "methodClass" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "firstAt" TIMESTAMP(3) NOT NULL,
    "lastAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TokenUsage_pkey" PRIMARY KEY ("tokenId","actorKey","methodClass")
);

-- CreateTable
CREATE TABLE "VaultKey" (
    "version" INTEGER NOT NULL,
    "kcv" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VaultKey_pkey" PRIMARY KEY ("version")
);

-- CreateTable
CREATE TABLE "VaultSecret" (
    "id" TEXT NOT NULL,
    "sealed" TEXT NOT NULL,
    "kekVersion" INTEGER NOT NULL,

    CONSTRAINT "VaultSecret_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "actorId" UUID,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "tokenId" UUID,
    "targetId" TEXT,
    "ip" TEXT,
    "details" JSONB NOT NULL,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "AuditHead" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seq" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditHead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Token_fingerprint_key" ON "Token"("fingerprint");

-- CreateIndex
CREATE INDEX "Token_state_idx" ON "Token"("state");

-- CreateIndex
CREATE INDEX "Token_kekVersion_idx" ON "Token"("kekVersion");

-- CreateIndex
CREATE INDEX "TokenGrant_userId_idx" ON "TokenGrant"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "TokenGrant_tokenId_userId_key" ON "TokenGrant"("tokenId", "userId");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- CreateIndex
CREATE INDEX "AuditEvent_action_at_idx" ON "AuditEvent"("action", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_tokenId_at_idx" ON "AuditEvent"("tokenId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_actorId_at_idx" ON "AuditEvent"("actorId", "at");

-- AddForeignKey
ALTER TABLE "Token" ADD CONSTRAINT "Token_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenAccount" ADD CONSTRAINT "TokenAccount_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenVersion" ADD CONSTRAINT "TokenVersion_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenGrant" ADD CONSTRAINT "TokenGrant_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenGrant" ADD CONSTRAINT "TokenGrant_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenGrant" ADD CONSTRAINT "TokenGrant_grantedById_fkey" FOREIGN KEY ("grantedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TokenUsage" ADD CONSTRAINT "TokenUsage_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE CASCADE ON UPDATE CASCADE;
