-- CreateEnum
CREATE TYPE "ShareSubject" AS ENUM ('overview', 'account', 'watchlist');

-- CreateEnum
CREATE TYPE "ShareAudience" AS ENUM ('members', 'team_link', 'public_link');

-- CreateTable
CREATE TABLE "Share" (
    "id" UUID NOT NULL,
    "ownerId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "subject" "ShareSubject" NOT NULL,
    "tokenId" UUID,
    "accountId" TEXT,
    "instrumentUids" TEXT[],
    "audience" "ShareAudience" NOT NULL,
    "percentagesOnly" BOOLEAN NOT NULL,
    "secretHash" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "revokedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastViewedAt" TIMESTAMP(3),
    "lastViewerLabel" TEXT,

    CONSTRAINT "Share_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ShareRecipient" (
    "shareId" UUID NOT NULL,
    "userId" UUID NOT NULL,

    CONSTRAINT "ShareRecipient_pkey" PRIMARY KEY ("shareId","userId")
);

-- CreateTable
CREATE TABLE "ShareView" (
    "id" UUID NOT NULL,
    "shareId" UUID NOT NULL,
    "viewerId" UUID,
    "viewerLabel" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ShareView_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Share_secretHash_key" ON "Share"("secretHash");

-- CreateIndex
CREATE INDEX "Share_ownerId_idx" ON "Share"("ownerId");

-- CreateIndex
CREATE INDEX "ShareRecipient_userId_idx" ON "ShareRecipient"("userId");

-- CreateIndex
CREATE INDEX "ShareView_shareId_at_idx" ON "ShareView"("shareId", "at");

-- AddForeignKey
ALTER TABLE "Share" ADD CONSTRAINT "Share_ownerId_fkey" FOREIGN KEY ("ownerId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShareRecipient" ADD CONSTRAINT "ShareRecipient_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShareRecipient" ADD CONSTRAINT "ShareRecipient_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ShareView" ADD CONSTRAINT "ShareView_shareId_fkey" FOREIGN KEY ("shareId") REFERENCES "Share"("id") ON DELETE CASCADE ON UPDATE CASCADE;
