-- AlterTable
ALTER TABLE "TokenAccount" ADD COLUMN     "currency" TEXT;

-- CreateTable
CREATE TABLE "TapiToken" (
    "tokenId" UUID NOT NULL,
    "ipAllowlist" TEXT[],
    "accesses" JSONB NOT NULL,
    "companyInn" TEXT NOT NULL,
    "companyKpp" TEXT NOT NULL,
    "companyName" TEXT,
    "securedBaseUrl" TEXT,
    "certificatePem" TEXT,
    "certificateSubject" TEXT,
    "certificateIssuer" TEXT,
    "certificateSerial" TEXT,
    "certificateNotBefore" TIMESTAMP(3),
    "certificateNotAfter" TIMESTAMP(3),
    "certificateFingerprint" TEXT,
    "certificateKeySealed" TEXT,
    "certificateKeyKekVersion" INTEGER,

    CONSTRAINT "TapiToken_pkey" PRIMARY KEY ("tokenId")
);

-- CreateIndex
CREATE INDEX "TapiToken_certificateKeyKekVersion_idx" ON "TapiToken"("certificateKeyKekVersion");

-- AddForeignKey
ALTER TABLE "TapiToken" ADD CONSTRAINT "TapiToken_tokenId_fkey" FOREIGN KEY ("tokenId") REFERENCES "Token"("id") ON DELETE CASCADE ON UPDATE CASCADE;
